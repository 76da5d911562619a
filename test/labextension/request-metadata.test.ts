// The notebook's path added to each execute_request by the extension, next to what JupyterLab put there.
import { withNotebookPath } from "../../labextension/src/notebook/request-metadata";

test("the path joins the request's metadata; the cell's own labtrail object and the cell id stay", () => {
  const request = { cellId: "cell-1", deletedCells: [], labtrail: { verdict: "reproduced" }, tags: ["x"] };
  expect(withNotebookPath(request, { notebookPath: "drafts/sentiment.ipynb", serverRoot: "~/work" })).toEqual({
    cellId: "cell-1",
    deletedCells: [],
    tags: ["x"],
    labtrail: { verdict: "reproduced", notebookPath: "drafts/sentiment.ipynb", serverRoot: "~/work" },
  });
  expect(withNotebookPath(undefined, { notebookPath: "a.ipynb" })).toEqual({ labtrail: { notebookPath: "a.ipynb" } });
  // Something else under the key (not an object) gives way.
  expect(withNotebookPath({ labtrail: "odd" }, { notebookPath: "a.ipynb" })).toEqual({ labtrail: { notebookPath: "a.ipynb" } });
});
