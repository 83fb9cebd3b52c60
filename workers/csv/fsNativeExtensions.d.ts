/**
 * The part of `fs-native-extensions` the CSV writer lock uses (the package
 * ships no types). On Linux these are open-file-description locks
 * (`fcntl(F_OFD_SETLK)`); on macOS `flock(2)`.
 */
declare module 'fs-native-extensions' {
  /**
   * Tries to lock `length` bytes from `offset` of the open file `fd` (0 = to
   * the end, however long the file grows); exclusive unless `shared`.
   * Answers false when another open file description holds a conflicting
   * lock; throws on any other failure (with the errno `code`).
   */
  export function tryLock(fd: number, offset?: number, length?: number, options?: { shared?: boolean }): boolean;

  /** Releases a lock taken on `fd` by `tryLock`. */
  export function unlock(fd: number, offset?: number, length?: number): void;
}
