// The words of the status bar item and the header marker badge, through the translator: English
// with JupyterLab's null translator, plurals by count.
import { nullTranslator, type TranslationBundle } from "@jupyterlab/translation";
import { cellHeaderStatus } from "labtrail/core";
import { markerBadge, staleFoundBadge } from "../../labextension/src/editor/marker-badge";
import { undocumentedLabel } from "../../labextension/src/status/undocumented-label";

const trans = nullTranslator.load("labtrail");

test("the status bar item counts undocumented cells with singular and plural", () => {
  expect(undocumentedLabel(1, trans)).toEqual({
    text: "1 cell undocumented",
    title: "labtrail: click to go to the next cell without an experiment header",
  });
  expect(undocumentedLabel(40, trans).text).toBe("40 cells undocumented");
  expect(undocumentedLabel(0, trans)).toEqual({
    text: "All cells documented",
    title: "labtrail: every code cell has its experiment header",
  });
  expect(undocumentedLabel(null, trans).text).toBe("");
});

test("stale Founds are counted beside the undocumented cells, with their own plurals", () => {
  expect(undocumentedLabel(1, trans, 1)).toEqual({
    text: "1 cell undocumented, 1 Found may be stale",
    title: "labtrail: click to go to the next cell without an experiment header or with a Found that may be stale",
  });
  expect(undocumentedLabel(0, trans, 2).text).toBe("2 Founds may be stale");
  expect(undocumentedLabel(3, trans, 0).text).toBe("3 cells undocumented");
  expect(undocumentedLabel(null, trans, 1).text).toBe("");
  expect(staleFoundBadge(trans)).toBe("Found may be stale");
});

test("the marker badge names missing and empty keys as the core does", () => {
  expect(markerBadge({ missing: ["tested"], empty: [] }, trans)).toBe("needs Tested");
  expect(markerBadge({ missing: [], empty: ["found"] }, trans)).toBe("Found empty");
  expect(markerBadge({ missing: ["tested", "found"], empty: ["expect"] }, trans)).toBe("needs Tested, Found · Expect empty");
  expect(markerBadge({ missing: [], empty: [] }, trans)).toBe("");
});

test("in English the badge is the core's, cell for cell", () => {
  const sources = ["const x = 1;", "// Tested: a\n// Found:\nx;", "// Expect: b\nx;", "// Tested: a\n// Found: b\nx;"];
  for (const source of sources) {
    for (const hasRun of [false, true]) {
      const status = cellHeaderStatus(source, { hasRun, required: ["tested", "found"] });
      expect(markerBadge(status, trans)).toBe(status.badge);
    }
  }
});

test("every word goes through the bundle it is given", () => {
  const shouting: TranslationBundle = Object.assign(Object.create(trans) as TranslationBundle, {
    __: (msgid: string, ...args: unknown[]) => trans.__(msgid.toUpperCase(), ...args),
    _n: (singular: string, plural: string, n: number, ...args: unknown[]) =>
      trans._n(singular.toUpperCase(), plural.toUpperCase(), n, ...args),
  });
  expect(undocumentedLabel(2, shouting).text).toBe("2 CELLS UNDOCUMENTED");
  expect(undocumentedLabel(0, shouting).title).toBe("LABTRAIL: EVERY CODE CELL HAS ITS EXPERIMENT HEADER");
  expect(markerBadge({ missing: ["tested"], empty: ["found"] }, shouting)).toBe("NEEDS Tested · Found EMPTY");
  expect(undocumentedLabel(1, shouting, 2).text).toBe("1 CELL UNDOCUMENTED, 2 FOUNDS MAY BE STALE");
  expect(staleFoundBadge(shouting)).toBe("Found MAY BE STALE");
});
