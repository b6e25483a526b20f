"""DVC stage scripts: one per stage in dvc.yaml, each reading only its own params section."""
