"""The customer charter: its file, its working-time calendar, and the per-contact clocks it implies."""
