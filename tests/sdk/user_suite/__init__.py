"""A user's application and its tests with the fakes: how `<package>.testing` is meant to be used."""
