// V8's compile cache for the kernel process, turned on before any other module loads (main.ts imports
// this first): the kernel's own modules, zod, and at warm-up TypeScript (~9 MB of JavaScript) and
// tslab's executor are then compiled once and read back by later kernels. Node keeps the cache in
// `node-compile-cache` under the system's temporary folder (or NODE_COMPILE_CACHE);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { enableCompileCache } from "node:module";

enableCompileCache?.();
