"""The live preview: build, serve the output folder, rebuild on every saved change."""
