#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CliIo, Command, COMMANDS, ParsedArgs, UsageError } from './commands';

/** Exit codes of the `cdk8s-openchoreo` command. @internal */
export const EXIT = { OK: 0, REFUSED: 1, USAGE: 2 } as const;

const NAME = 'cdk8s-openchoreo';

/** The top-level help. @internal */
export function topUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map(n => n.length));
  return [
    `usage: ${NAME} <command> [options]`,
    `       ${NAME} <command> --help`,
    `       ${NAME} --version`,
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    exitCodes(),
  ].join('\n');
}

/** The help of one command. @internal */
export function commandUsage(name: string): string {
  const c = COMMANDS[name];
  const flags = Object.entries(c.options).map(([o, s]) => [`${s.short ? `-${s.short}, ` : ''}--${o}${s.value ? ` ${s.value}` : ''}`, s.description]);
  flags.push(['-h, --help', 'show this help']);
  const width = Math.max(...flags.map(([f]) => f.length));
  return [
    `usage: ${NAME} ${c.synopsis}`,
    '',
    c.description,
    '',
    'options:',
    ...flags.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    '',
    exitCodes(),
  ].join('\n');
}

function exitCodes(): string {
  return 'exit codes: 0 done, 1 refused or failed, 2 usage error';
}

/** The process's streams and folder. @internal */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * Runs `cdk8s-openchoreo <argv>` and returns its exit code: 0 done, 1 refused or failed, 2 usage
 * error (with the command's usage on stderr). Help goes to stdout. @internal
 */
export function main(argv: string[], io: CliIo = processIo()): number {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') return help(io, topUsage());
  if (name === '--version' || name === '-V') return help(io, `${NAME} ${version()}`);
  if (name === undefined) return usageError(io, 'no command given', topUsage());
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    return usageError(io, `unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`, topUsage());
  }
  const command = COMMANDS[name];
  if (rest.includes('--help') || rest.includes('-h')) return help(io, commandUsage(name));
  try {
    return command.run(parse(command, rest), io);
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, e.message, commandUsage(name));
    io.stderr.write(`${name} failed: ${(e as Error).message}\n`);
    return EXIT.REFUSED;
  }
}

function help(io: CliIo, text: string): number {
  io.stdout.write(`${text}\n`);
  return EXIT.OK;
}

function usageError(io: CliIo, message: string, usage: string): number {
  io.stderr.write(`${NAME}: ${message}\n\n${usage}\n`);
  return EXIT.USAGE;
}

/** Parses with `util.parseArgs` (strict), turning its errors into short usage errors. */
function parse(command: Command, args: string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries(command.options).map(([o, s]) => [o, { type: s.type, ...(s.short ? { short: s.short } : {}) }]));
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: command.positionals === true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e: any) {
    const option = /'(-[^' ]+)/.exec(String(e.message))?.[1];
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': throw new UsageError(`unknown option ${option}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': throw new UsageError(`${option} needs a value`);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': throw new UsageError(`unexpected argument '${/'([^']*)'/.exec(String(e.message))?.[1] ?? ''}'`);
      default: throw new UsageError(String(e.message));
    }
  }
}

function version(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
