"""The budget simulator: its question type, definition checks, money rules, levers, words, moves, comments and results."""
