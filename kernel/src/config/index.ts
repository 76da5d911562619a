export { CONFIG_FILE_NAME, configSchema, defaultConfig, headerConfigSchema } from "./schema";
export type { HeaderConfig, LabtrailConfig } from "./schema";
export { ENV_HEADER_MODE, findConfigFile, loadConfig } from "./load";
export type { ConfigError, ConfigResult, LoadedConfig } from "./load";
