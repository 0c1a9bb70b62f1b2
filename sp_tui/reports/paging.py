"""The one page size: how many records a paged query returns (screens and CLI alike).

About 500 eight-column rows fill a DataTable in ~165 ms; more would hold up the screen."""

PAGE_SIZE = 500
