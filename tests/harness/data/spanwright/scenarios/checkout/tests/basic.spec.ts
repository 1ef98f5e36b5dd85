// Spanwright's Playwright test of this scenario: not read by the suite, only kept beside it.
export {};
