"""Template filters of the incidents pages."""
