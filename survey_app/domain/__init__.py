"""Pure domain: damage-judgement rules and engine. Standard library only."""
