"""The only place that holds SQL: models, query functions by noun, migrations, engine set-up, media stores."""
