"""Server-rendered pages (Jinja2): landing, sign-in and the signed-in home."""
