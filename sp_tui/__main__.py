from sp_tui.cli import app

app()
