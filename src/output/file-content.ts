/**
 * A file's content, or a function that produces it when the writer gets to that file: a tree's
 * contents (hundreds of MB at 10,000 components) then never all live at once, each is produced,
 * hashed, written and let go. @internal
 */
export type FileContent = string | (() => string);

/** The content itself, produced now if it is deferred. @internal */
export function contentOf(content: FileContent): string {
  return typeof content === 'string' ? content : content();
}
