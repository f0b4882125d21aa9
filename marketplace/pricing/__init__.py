"""Pure money arithmetic of the marketplace: no Django, no ORM (an import-linter contract).

`fx` converts between currencies with dated rates; landed cost joins it with checkout."""
