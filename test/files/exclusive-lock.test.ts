// The lock `labtrail push` takes per notebook and server: a second taker waits for a live owner, takes
// over from one that was killed mid-push, and gives up with the owner's pid after its wait.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LockBusyError, withExclusiveLock } from "../../kernel/src/files/exclusive-lock";

const lockFile = () => join(mkdtempSync(join(tmpdir(), "labtrail-lock-")), "push.lock");

test("work under the lock runs one at a time, and the lock is gone after", async () => {
  const file = lockFile();
  const order: string[] = [];
  const work = (name: string) => async () => {
    order.push(`${name} in`);
    expect(readFileSync(file, "utf8")).toBe(String(process.pid));
    await new Promise((resolve) => setTimeout(resolve, 300));
    order.push(`${name} out`);
  };
  await Promise.all([withExclusiveLock(file, 5000, work("a")), withExclusiveLock(file, 5000, work("b"))]);
  expect(order).toEqual(["a in", "a out", "b in", "b out"]);
  expect(existsSync(file)).toBe(false);
});

test("a lock left by a process that was killed is taken over", async () => {
  const file = lockFile();
  // A pid that existed and is gone: a child that has exited.
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  writeFileSync(file, String(dead));
  expect(await withExclusiveLock(file, 1000, async () => "ran")).toBe("ran");
});

test("an empty lock file (its owner died before writing its pid) is taken over once it is old", async () => {
  const file = lockFile();
  writeFileSync(file, "");
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
  expect(await withExclusiveLock(file, 1000, async () => "ran")).toBe("ran");
});

test("a live owner's lock: the wait ends in LockBusyError naming it, and the owner's file stays", async () => {
  const file = lockFile();
  const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
  try {
    writeFileSync(file, String(owner.pid));
    await expect(withExclusiveLock(file, 500, async () => "ran")).rejects.toEqual(new LockBusyError(file, owner.pid ?? null));
    expect(readFileSync(file, "utf8")).toBe(String(owner.pid));
  } finally {
    owner.kill();
  }
});

test("work that throws still frees the lock", async () => {
  const file = lockFile();
  await expect(withExclusiveLock(file, 1000, async () => Promise.reject(new Error("push failed")))).rejects.toThrow("push failed");
  expect(existsSync(file)).toBe(false);
});
