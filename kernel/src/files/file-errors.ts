import { FILE_TOO_LARGE, NOT_REGULAR_FILE } from "./read-file";

/** What a failed read or write means, in words a user can act on (one line). */
export function fileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a notebook file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EEXIST":
      return "a file stands where a folder should be (EEXIST)";
    case "ENOSPC":
      return "the disk is full (ENOSPC)";
    case "EROFS":
      return "the file system is read-only (EROFS)";
    case "EDQUOT":
      return "the disk quota is exceeded (EDQUOT)";
    case "ELOOP":
      return "a symbolic link in the path points back at itself (ELOOP)";
    case NOT_REGULAR_FILE:
    case FILE_TOO_LARGE:
      return (err as Error).message;
    default:
      return err instanceof Error ? err.message.replace(/\s*\n\s*/g, " ") : String(err);
  }
}
