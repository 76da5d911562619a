/** What a failed write means, in words a user can act on. */
export function describeWriteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOSPC":
      return "the disk is full (ENOSPC)";
    case "EROFS":
      return "the file system is read-only (EROFS)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "ENOTDIR":
    case "EEXIST":
      return `a file stands where a folder should be (${code})`;
    case "EDQUOT":
      return "the disk quota is exceeded (EDQUOT)";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
