// A minimal Jupyter client over ZeroMQ for driving a labtrail kernel from Node (the CLI's `reproduce`).
export { defaultKernelMain, KernelExitedError, KernelProcess, KernelStuckError } from "./kernel-process";
export type { ExecuteOptions, ExecuteResult, KernelStartOptions } from "./kernel-process";
export { DisplayRegistry, OutputCollector } from "./outputs";
export type { DisplayDataOutput, ErrorOutput, ExecuteResultOutput, MimeBundle, NbOutput, StreamOutput } from "./outputs";
export { freePorts } from "./ports";
