"""Writers that turn report rows into files (xlsx, csv)."""
