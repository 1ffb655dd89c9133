"""Place names (countries, cities, regions) for event locations.

The matcher is shared with the actor dictionary (one scan serves both), so this module only
re-exports it: see ``pipeline.events.actors.find_locations``.
"""

from pipeline.events.actors import LocationMention, find_locations

__all__ = ["LocationMention", "find_locations"]
