"""Practice competitions (擂台赛): rounds, items per contestant, server-side timing, leaderboard, analysis.

Pure logic: no widgets, no database, no files.
"""
