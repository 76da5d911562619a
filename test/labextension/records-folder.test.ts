// Where a renamed notebook's records folder goes: beside it, named after it, only between notebooks.
import { recordsFolderMove, recordsFolderPath } from "../../labextension/src/records/records-folder";

test("the records folder sits beside the notebook, named after it", () => {
  expect(recordsFolderPath("Untitled.ipynb")).toBe("Untitled.labtrail");
  expect(recordsFolderPath("work/drafts/sentiment.ipynb")).toBe("work/drafts/sentiment.labtrail");
  expect(recordsFolderPath("work/a.b.IPYNB")).toBe("work/a.b.labtrail");
  // Another drive's path keeps its prefix.
  expect(recordsFolderPath("RTC:shared/x.ipynb")).toBe("RTC:shared/x.labtrail");
});

test("a rename or move of a notebook moves its folder; anything else moves nothing", () => {
  expect(recordsFolderMove("Untitled.ipynb", "sentiment.ipynb")).toEqual({ from: "Untitled.labtrail", to: "sentiment.labtrail" });
  expect(recordsFolderMove("sentiment.ipynb", "drafts/sentiment.ipynb")).toEqual({
    from: "sentiment.labtrail",
    to: "drafts/sentiment.labtrail",
  });
  // Not a notebook on both sides: a folder, a text file, a notebook renamed to text.
  expect(recordsFolderMove("drafts", "final")).toBeNull();
  expect(recordsFolderMove("notes.md", "notes2.md")).toBeNull();
  expect(recordsFolderMove("a.ipynb", "a.txt")).toBeNull();
  expect(recordsFolderMove(undefined, "a.ipynb")).toBeNull();
  // Only the extension's case changed: the same folder.
  expect(recordsFolderMove("a.ipynb", "a.IPYNB")).toBeNull();
});
