"""Submissions: statements sent to government, Parliament and parties, and the replies that come back."""
