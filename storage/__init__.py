"""The only place that holds SQL: models, queries, migrations, engine set-up."""
