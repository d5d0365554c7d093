"""The dashboard at ``/_mock/ui``: server-rendered pages (Jinja2) with htmx for the live
parts, every asset shipped in the package (no CDN). It reads the runtime (``Mock``) and
acts only through the control API a script would use.

Modules: ``timeline`` (a draft laid out on a time ruler, pure), ``views`` (what each page
shows, read from the runtime), ``routes`` (pages and live fragments)."""
