import { verifyOwnedTree } from '../output/verify';

const USAGE = `usage: cdk8s-openchoreo verify <dir>

Says whether the GitOps tree in <dir> is exactly what its last finished synth wrote (every file its
.cdk8s-openchoreo/files.json lists is present and unchanged, no run in progress or interrupted).
Exit code: 0 complete, 1 not complete, 2 usage error.`;

/** How many reasons are printed before the rest are counted. */
const SHOWN = 50;

/**
 * `cdk8s-openchoreo verify <dir>`: prints whether the tree is complete; returns the exit code
 * (0 complete, 1 not complete, 2 usage).
 * @internal
 */
export function verifyCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length !== 1 || args[0].startsWith('-')) {
    const why = args.length === 0 ? 'verify needs the directory to check' : args.length > 1 ? `verify takes one directory, got ${args.length} arguments` : `unknown option ${args[0]}`;
    err.write(`${why}\n${USAGE}\n`);
    return 2;
  }
  const result = verifyOwnedTree(args[0]);
  if (result.complete) {
    out.write(`complete: ${args[0]} holds the ${result.files} files its record lists, unchanged (owner ${result.owner}).\n`);
    return 0;
  }
  const shown = result.reasons.slice(0, SHOWN).map(r => `  - ${r}\n`).join('');
  const more = result.reasons.length > SHOWN ? `  … and ${result.reasons.length - SHOWN} more\n` : '';
  err.write(`incomplete: ${args[0]} is not a finished tree:\n${shown}${more}`
    + 'Fix: synth again into it (an interrupted run is finished by the next one), and publish only once verify says complete.\n');
  return 1;
}
