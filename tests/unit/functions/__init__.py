"""Tests of pocketcloud.functions: real runtime processes running functions written to tmp dirs."""
