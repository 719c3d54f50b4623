// From file://, the browser refuses the requests Sphinx's search makes for the summary of each result
// (a console error per result). There the results are listed without summaries; from a server, with them.
if (window.location.protocol === "file:") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
