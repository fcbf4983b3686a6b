"""Award types, nominations and secret ballots: built in a later issue."""
