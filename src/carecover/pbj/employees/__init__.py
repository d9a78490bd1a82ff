"""CMS's PBJ Employee Detail file: reading, the store, measures, synthetic files."""
