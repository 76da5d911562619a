export {
  CONFIG_FILE_NAME,
  configSchema,
  defaultConfig,
  headerConfigSchema,
  modelAliasSchema,
  modelsConfigSchema,
  TOKEN_LIMIT_PARAMS,
} from "./schema";
export type { HeaderConfig, LabtrailConfig, MlflowConfig, ModelAlias, ModelsConfig, TokenLimitParam } from "./schema";
// The replay modes are the core's: frontends read them too (kernel_info_reply).
export { REPLAY_MODES } from "../core";
export type { ReplayMode } from "../core";
export { configProblemText, ENV_HEADER_MODE, ENV_RECORD_RUNS, ENV_REPLAY_MODE, findConfigFile, loadConfig } from "./load";
export type { ConfigError, ConfigResult, LoadedConfig } from "./load";
