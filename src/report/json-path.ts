/**
 * A field path in a manifest (`spec.ingress[2].toPorts[0]`), joined into text only when an error
 * spells it out: the evaluators compile every rule, peer and port of every policy, each with its
 * path, and almost none is ever printed (a string per path was a large part of what they allocated).
 * Template literals and `String()` give its text. @internal
 */
export class JsonPath {
  constructor(private readonly parent: Path, private readonly field: string, private readonly index?: number) {}

  public toString(): string {
    return this.index === undefined ? `${this.parent}.${this.field}` : `${this.parent}.${this.field}[${this.index}]`;
  }
}

/** A path as text, or one joined on demand. @internal */
export type Path = string | JsonPath;
