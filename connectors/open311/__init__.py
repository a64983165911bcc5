"""Open311 GeoReport v2: the city's other systems list services and file and read cases at /open311/v2/."""
