/**
 * Compiles a CRD's structural schema into the tree the CEL validator walks: for every node the
 * shape of its values, its CEL type (derived the way the API server does), the properties rules
 * can see (under their escaped CEL names), its default and its rules.
 *
 * Kubernetes typing: `integer` is int, `number` double, `boolean` bool; `string` is string,
 * except `format: byte` (bytes), `date`/`date-time` (timestamp) and `duration` (duration);
 * x-kubernetes-int-or-string is dyn (an int or a string at run time); an array is a list of its
 * items' type; an object with an `additionalProperties` schema is a map from string; any other
 * object is an object type with its declared properties as fields (unknown fields, including
 * those kept by x-kubernetes-preserve-unknown-fields, are invisible). Nodes without a type are
 * invisible to rules. The resource root and embedded resources always have apiVersion, kind
 * and metadata.name/generateName.
 * allOf/anyOf/oneOf/not carry no types, defaults or rules in structural schemas and are ignored.
 */
import { BOOL, BYTES, CelT, DOUBLE, DURATION, DYN, INT, STRING, TIMESTAMP, celFieldName, listOf, mapOf } from './cel-types';

/** A JSON schema node as loaded from disk. */
export type Json = { [key: string]: any };

export type Shape = 'object' | 'map' | 'list' | 'int' | 'double' | 'bool' | 'string' | 'bytes' | 'date' | 'timestamp' | 'duration' | 'intOrString';

export interface Property<R> {
  /** The property name in JSON. */
  readonly name: string;
  /** Its CEL field name (escaped, e.g. `__namespace__`). */
  readonly field: string;
  readonly node: SchemaNode<R>;
}

export interface SchemaNode<R> {
  readonly shape: Shape;
  readonly type: CelT;
  /** Properties visible to CEL (objects only). */
  readonly properties: ReadonlyArray<Property<R>>;
  /** Map values or list items. */
  readonly element?: SchemaNode<R>;
  /** The `default` keyword's value, if any. */
  readonly default: unknown;
  readonly nullable: boolean;
  readonly rules: readonly R[];
  /** Whether this node or a node below it has rules (subtrees without rules are not walked). */
  readonly rulesBelow: boolean;
}

/** Compiles one node's `x-kubernetes-validations`; `at` is a readable schema path for messages. */
export type RuleCompiler<R> = (rules: Json[], self: CelT, at: string) => R[];

/** Compiles `schema` (a CRD version's openAPIV3Schema); undefined if the root has no type. */
export function compileSchema<R>(schema: Json, compileRules: RuleCompiler<R>): SchemaNode<R> | undefined {
  return compileNode(schema, '', true, compileRules);
}

/** Appends a property or map key to a field path, as `spec.ports[0].protocol` or `labels["a/b"]`. */
export function childPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function shapeOf(s: Json): Shape | undefined {
  if (s['x-kubernetes-int-or-string'] === true) return 'intOrString';
  switch (s.type) {
    case 'object':
      return s.additionalProperties && typeof s.additionalProperties === 'object' ? 'map' : 'object';
    case 'array':
      return 'list';
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'string':
      switch (s.format) {
        case 'byte': return 'bytes';
        case 'date': return 'date';
        case 'date-time': return 'timestamp';
        case 'duration': return 'duration';
        default: return 'string';
      }
    default:
      return undefined;
  }
}

const SCALAR_TYPES: Partial<Record<Shape, CelT>> = {
  int: INT,
  double: DOUBLE,
  bool: BOOL,
  string: STRING,
  bytes: BYTES,
  date: TIMESTAMP,
  timestamp: TIMESTAMP,
  duration: DURATION,
  intOrString: DYN,
};

/** apiVersion, kind and metadata.name/generateName, which rules can always read at a resource root. */
function resourceProperties<R>(): Array<Property<R>> {
  const str = (): SchemaNode<R> => ({ shape: 'string', type: STRING, properties: [], default: undefined, nullable: false, rules: [], rulesBelow: false });
  const meta = [{ name: 'name', field: 'name', node: str() }, { name: 'generateName', field: 'generateName', node: str() }];
  return [
    { name: 'apiVersion', field: 'apiVersion', node: str() },
    { name: 'kind', field: 'kind', node: str() },
    {
      name: 'metadata',
      field: 'metadata',
      node: {
        shape: 'object', type: objectType(meta), properties: meta, default: undefined, nullable: false, rules: [], rulesBelow: false,
      },
    },
  ];
}

function objectType<R>(properties: ReadonlyArray<Property<R>>): CelT {
  return { k: 'object', fields: new Map(properties.map((p) => [p.field, p.node.type])) };
}

function compileNode<R>(s: Json, at: string, resourceRoot: boolean, compileRules: RuleCompiler<R>): SchemaNode<R> | undefined {
  const shape = shapeOf(s);
  if (!shape) return undefined;
  let type: CelT | undefined = SCALAR_TYPES[shape];
  let properties: Array<Property<R>> = [];
  let element: SchemaNode<R> | undefined;
  if (shape === 'list') {
    element = s.items && compileNode(s.items as Json, `${at}[*]`, s.items['x-kubernetes-embedded-resource'] === true, compileRules);
    if (!element) return undefined;
    type = listOf(element.type);
  } else if (shape === 'map') {
    const values = s.additionalProperties as Json;
    element = compileNode(values, `${at}[*]`, values['x-kubernetes-embedded-resource'] === true, compileRules);
    if (!element) return undefined;
    type = mapOf(STRING, element.type);
  } else if (shape === 'object') {
    const reserved = resourceRoot ? resourceProperties<R>() : [];
    const skip = new Set(reserved.map((p) => p.name));
    for (const [name, sub] of Object.entries((s.properties ?? {}) as Json)) {
      const field = celFieldName(name);
      if (skip.has(name) || field === undefined) continue;
      const node = compileNode(sub as Json, childPath(at, name), sub['x-kubernetes-embedded-resource'] === true, compileRules);
      if (node) properties.push({ name, field, node });
    }
    properties = [...reserved, ...properties];
    type = objectType(properties);
  }
  const raw = s['x-kubernetes-validations'] as Json[] | undefined;
  const rules = raw && raw.length > 0 ? compileRules(raw, type!, at || '(root)') : [];
  return {
    shape,
    type: type!,
    properties,
    element,
    default: s.default,
    nullable: s.nullable === true,
    rules,
    rulesBelow: rules.length > 0 || properties.some((p) => p.node.rulesBelow) || !!element?.rulesBelow,
  };
}

/** Number of rules anywhere in a raw schema (also where rules cannot see values, e.g. under anyOf). */
export function countRules(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countRules(x), 0);
  if (!node || typeof node !== 'object') return 0;
  let n = 0;
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'x-kubernetes-validations' && Array.isArray(value)) n += value.length;
    else if (key !== 'default' && key !== 'enum' && key !== 'example') n += countRules(value);
  }
  return n;
}
