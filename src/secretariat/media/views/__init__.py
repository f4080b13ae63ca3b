"""媒體聯繫's pages, thin: forms parse, services write and check every rule, selectors read
within the person's scope. ``staff`` (the press office's home and the mayor's schedule),
``releases``, ``opinion``, ``directory`` (contacts and journalists, for staff), ``press``
(the journalists' pages), ``news`` (the public news page and its feeds)."""
