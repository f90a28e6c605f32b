import type { OwnedObject } from './identities';
import { ValidationProblem } from '../model/errors';
import { ANNOTATIONS_MAX_BYTES, CONFIG_MAP_MAX_BYTES, LABEL_VALUE_MAX, utf8Bytes } from '../model/limits';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// Every object repeats its organization's, project's and component's label values: check each once.
const validLabelValues = new Set<string>();

/**
 * A UTF-16 code unit is at most 3 bytes in UTF-8 (a surrogate pair, 2 units, is 4): a map whose
 * keys and values are at most a third of the limit long fits without counting its bytes, so the
 * exact count (which the messages show) is only taken near the limit.
 */
const MAX_UTF8_BYTES_PER_UNIT = 3;

function nameOf(m: any): string {
  return m.metadata?.namespace ? `${m.metadata.namespace}/${m.metadata.name}` : String(m.metadata?.name);
}

/**
 * Limits the API server enforces on objects as rendered: a ConfigMap's data at most 1 MiB, an
 * object's annotations at most 256 KiB, label values at most 63 characters of the label alphabet.
 * Each excess becomes a problem at the owning construct instead of an apply that fails later. @internal
 */
export function limitProblems(objects: readonly OwnedObject[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const o of objects) objectLimitProblems(o, problems);
  return problems;
}

/** {@link limitProblems} of one object, added to `problems`. @internal */
export function objectLimitProblems(o: Pick<OwnedObject, 'path' | 'owner' | 'manifest'>, problems: ValidationProblem[]): void {
  const m = o.manifest;
  if (m.kind === 'ConfigMap') {
    const bytes = configMapBytes(m);
    if (bytes > CONFIG_MAP_MAX_BYTES) {
      problems.push({
        path: o.path,
        message: `ConfigMap '${nameOf(m)}' of ${o.owner} holds ${bytes} bytes, more than the API server's limit of ${CONFIG_MAP_MAX_BYTES} bytes (1 MiB)`,
        fix: 'make the environment variables and config files smaller, or ship large content in the image or a volume instead of a ConfigMap',
      });
    }
  }
  const annotations: Record<string, unknown> | undefined = m.metadata?.annotations;
  const annotationBytes = annotationsBytes(annotations);
  if (annotationBytes > ANNOTATIONS_MAX_BYTES) {
    problems.push({
      path: o.path,
      message: `${m.kind} '${nameOf(m)}' of ${o.owner} has ${annotationBytes} bytes of annotations, more than the API server's limit of ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB)`,
      fix: 'shorten or remove annotations (keep large data in a ConfigMap or in the repository)',
    });
  }
  const labels: Record<string, unknown> | undefined = m.metadata?.labels;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
    const value = String(labels[k]);
    if (validLabelValues.has(value)) continue;
    if (value.length <= LABEL_VALUE_MAX && LABEL_VALUE.test(value)) {
      if (validLabelValues.size > 100_000) validLabelValues.clear();
      validLabelValues.add(value);
    } else {
      problems.push({
        path: o.path,
        message: `label ${k}='${value.length > 80 ? `${value.slice(0, 77)}...` : value}' on ${m.kind} '${nameOf(m)}' of ${o.owner} is not a valid label value (at most ${LABEL_VALUE_MAX} characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`,
        fix: `shorten the value to at most ${LABEL_VALUE_MAX} characters of that alphabet`,
      });
    }
  }
}

/** A ConfigMap's data and binaryData in bytes (base64 decoded); exact when it may exceed the limit, else an upper bound within it. */
function configMapBytes(m: any): number {
  const data: Record<string, unknown> = m.data ?? {};
  const binaryData: Record<string, unknown> = m.binaryData ?? {};
  let binary = 0;
  for (const k in binaryData) {
    if (Object.prototype.hasOwnProperty.call(binaryData, k)) binary += utf8Bytes(k) + Math.floor(String(binaryData[k]).length * 3 / 4);
  }
  let units = 0;
  for (const k in data) {
    if (Object.prototype.hasOwnProperty.call(data, k)) units += k.length + String(data[k]).length;
  }
  if (binary + units * MAX_UTF8_BYTES_PER_UNIT <= CONFIG_MAP_MAX_BYTES) return binary + units * MAX_UTF8_BYTES_PER_UNIT;
  let bytes = binary;
  for (const k in data) {
    if (Object.prototype.hasOwnProperty.call(data, k)) bytes += utf8Bytes(k) + utf8Bytes(String(data[k]));
  }
  return bytes;
}

/** An object's annotations in bytes; exact when they may exceed the limit, else an upper bound within it. */
function annotationsBytes(annotations: Record<string, unknown> | undefined): number {
  let units = 0;
  for (const k in annotations) {
    if (Object.prototype.hasOwnProperty.call(annotations, k)) units += k.length + String(annotations[k]).length;
  }
  if (units * MAX_UTF8_BYTES_PER_UNIT <= ANNOTATIONS_MAX_BYTES) return units * MAX_UTF8_BYTES_PER_UNIT;
  let bytes = 0;
  for (const k in annotations) {
    if (Object.prototype.hasOwnProperty.call(annotations, k)) bytes += utf8Bytes(k) + utf8Bytes(String(annotations[k]));
  }
  return bytes;
}
