"""The tik app's models, one module per area (assets, services and incidents, people)."""
