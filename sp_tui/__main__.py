from sp_tui.cli import app

app(prog_name="sp-tui")
