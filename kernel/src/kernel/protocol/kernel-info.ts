import { LABTRAIL_KERNEL_INFO_KEY, type LabtrailKernelInfo } from "../../core";
import { labtrailVersion } from "../../versions";
import { PROTOCOL_VERSION } from "../../wire/messages";
import { typescriptVersion } from "../../compiler/typescript-version";
import { tslabVersion } from "../execution/tslab-package";

/**
 * The kernel_info_reply's content. `labtrail` (core's `labtrailKernelInfoSchema`) tells a frontend
 * the header contract and replay mode in force, so that it shows what the kernel enforces.
 */
export function kernelInfo(labtrail?: LabtrailKernelInfo): Record<string, unknown> {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "labtrail",
    implementation_version: labtrailVersion,
    language_info: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
    },
    banner:
      `labtrail ${labtrailVersion} — TypeScript ${typescriptVersion} on Node.js ${process.version} (tslab ${tslabVersion}'s executor).\n` +
      "Start each code cell with a header: // Tested: … and, once it has run, // Found: …",
    help_links: [
      { text: "labtrail README", url: "https://www.npmjs.com/package/labtrail" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: `https://nodejs.org/docs/${process.version}/api/` },
    ],
    debugger: false,
    ...(labtrail ? { [LABTRAIL_KERNEL_INFO_KEY]: labtrail } : {}),
  };
}
