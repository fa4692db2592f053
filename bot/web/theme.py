"""The look every page shares (patient chat, staff page and its sign-in): Gradio's Soft theme with system fonts
and colours that pass WCAG AA.

The Soft theme's accent (indigo-500, ``#6366f1``) is 4.47:1 behind white button text and 3.6:1 as label text on
its own tint, and its grey placeholder and secondary text are 2.5:1. Here the accent's shades are shifted one
step darker (its "500" is indigo-700) and those greys two steps darker, which is enough everywhere.
"""

from __future__ import annotations

import gradio as gr

ACCENT = gr.themes.Color(
    name="indigo-aa",
    c50="#eef2ff",
    c100="#e0e7ff",
    c200="#c7d2fe",
    c300="#a5b4fc",
    c400="#4f46e5",
    c500="#4338ca",
    c600="#3730a3",
    c700="#312e81",
    c800="#1e1b4b",
    c900="#1e1b4b",
    c950="#12103a",
)

# System fonts only: a patient's browser never fetches anything from a third party.
THEME = gr.themes.Soft(
    primary_hue=ACCENT, font=["system-ui", "Segoe UI", "Roboto", "sans-serif"], font_mono=["ui-monospace", "monospace"]
).set(
    button_primary_background_fill_hover="*primary_600",
    body_text_color_subdued="*neutral_600",
    input_placeholder_color="*neutral_500",
)
