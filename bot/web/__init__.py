"""Everything that speaks HTTP: the REST API, the Gradio patient chat, and the app that mounts them."""
