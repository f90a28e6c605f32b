/**
 * Encodes file contents into one reused buffer: the writer hashes and writes a content from the same bytes, so each
 * content is encoded to UTF-8 once (hashing a string and writing it would encode it twice) and no buffer is
 * allocated per file (a tree's worth of buffers waiting for the GC would raise the peak memory).
 * @internal
 */
export class Utf8Scratch {
  private buffer = Buffer.allocUnsafe(1024 * 1024);

  /** The UTF-8 bytes of `content`: a view of the shared buffer, valid until the next call. */
  public encode(content: string): Buffer {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: only a long content needs its exact size.
    if (content.length * 3 > this.buffer.length) {
      const size = Buffer.byteLength(content);
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
    }
    return this.buffer.subarray(0, this.buffer.write(content));
  }
}
