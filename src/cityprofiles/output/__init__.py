"""Stage 4, output: the files of the site put in place atomically, with what is made
from the pages and the model besides them: the sitemap, the open data and the search index."""
