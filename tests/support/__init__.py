"""Helpers the test suite shares: servers it starts, fakes it drives."""
