// The extension's settings: the schema the Settings Editor shows agrees with the core, and the typed
// reading falls back to defaults for anything unusable.
import * as fs from "node:fs";
import * as path from "node:path";
import { HEADER_KEYS, HEADER_TEMPLATE } from "labtrail/core";
import { DEFAULT_SETTINGS, readSettings } from "../../labextension/src/settings";

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../labextension/schema/settings.json"), "utf8"));

test("the settings schema's defaults and choices are the core's", () => {
  expect(schema.properties.headerTemplate.default).toBe(HEADER_TEMPLATE);
  expect(schema.properties.requiredFields.items.enum).toEqual([...HEADER_KEYS]);
  for (const [key, property] of Object.entries<{ default: unknown }>(schema.properties)) {
    expect([key, DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS]]).toEqual([key, property.default]);
  }
  expect(schema.properties.enforcement.enum).toEqual(["kernel", "off", "warn", "block"]);
});

test("menus, context menu, shortcut and toolbar name the extension's commands", () => {
  const commands = JSON.stringify([schema["jupyter.lab.menus"], schema["jupyter.lab.shortcuts"], schema["jupyter.lab.toolbars"]]);
  for (const id of ["labtrail:insert-header", "labtrail:export-design-doc", "labtrail:next-undocumented"]) expect(commands).toContain(id);
  expect(schema["jupyter.lab.menus"].context[0]).toMatchObject({
    command: "labtrail:insert-header",
    selector: ".jp-Notebook .jp-CodeCell",
  });
});

test("readSettings keeps valid values, resolves key aliases and replaces unusable ones by defaults", () => {
  const read = readSettings({ enforcement: "block", requiredFields: ["Tested", "found", "decisions"], kernels: ["labtrail", "tslab"] });
  expect(read.enforcement).toBe("block");
  expect(read.requiredFields).toEqual(["tested", "found", "decision"]);
  expect(read.kernels).toEqual(["labtrail", "tslab"]);
  const bad = readSettings({ enforcement: "sometimes", requiredFields: ["nonsense"], allNotebooks: "yes" });
  expect(bad).toEqual(DEFAULT_SETTINGS);
  expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
});
