export { CONFIG_FILE_NAME, configSchema, defaultConfig, headerConfigSchema, modelAliasSchema, modelsConfigSchema, REPLAY_MODES } from "./schema";
export type { HeaderConfig, LabtrailConfig, ModelAlias, ModelsConfig, ReplayMode } from "./schema";
export { ENV_HEADER_MODE, ENV_REPLAY_MODE, findConfigFile, loadConfig } from "./load";
export type { ConfigError, ConfigResult, LoadedConfig } from "./load";
