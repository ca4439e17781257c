// pgmig — embedded startup migrator for PostgreSQL. Umbrella header.
#pragma once

#include <pgmig/conninfo.hpp>
#include <pgmig/error.hpp>
#include <pgmig/history.hpp>
#include <pgmig/lint.hpp>
#include <pgmig/log.hpp>
#include <pgmig/migration.hpp>
#include <pgmig/reconcile.hpp>
#include <pgmig/session.hpp>
#include <pgmig/startup.hpp>
#include <pgmig/version.hpp>
