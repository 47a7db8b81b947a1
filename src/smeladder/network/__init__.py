"""The service network (M6.2b, M6.3b, M4.1, M5.3, M6.2c): stations and partners, the 3-km service circle,
station siting, Service Day concerns. See docs/network.md."""
