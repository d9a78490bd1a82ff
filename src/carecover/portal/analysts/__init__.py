"""The analyst workspace (issue 16 §3): any facility, state or chain, from public files alone."""
