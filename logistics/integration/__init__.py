"""How logistics plugs into the marketplace: the shipping port it implements (registered in `ready()`)."""
