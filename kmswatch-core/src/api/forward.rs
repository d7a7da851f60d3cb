//! [`service_impls!`]: a service trait's implementations for
//! [`crate::api::Layered`] and [`crate::api::Dynamic`], written once per
//! method beside the trait.

/// Implements the service trait `$service` for `Layered<dyn $service, L>`
/// (each call passes through the layer to the inner service) and for
/// `Dynamic<D>` (each call is answered by the dynamic backend's method of
/// the same name, its parameters as JSON), from one entry per trait method:
/// its parameters, its result and the [`crate::api::Call`] it makes.
///
/// Methods with a result are listed under `answers`; methods without one
/// under `no_answer` (whatever a dynamic backend answers to them is
/// ignored), where `dynamic: CALL` may give the dynamic backend's errors a
/// resource named more precisely. Methods with a default in the trait may
/// follow under `defaulted`: forwarded through layers, answered by a dynamic
/// backend through the default (a protocol method it need not have).
macro_rules! service_impls {
    (@dynamic_call $call:expr) => { $call };
    (@dynamic_call $call:expr, $dynamic:expr) => { $dynamic };
    (
        $service:ident;
        answers {
            $(fn $method:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $call:expr;)*
        }
        no_answer {
            $(fn $unit_method:ident($($unit_arg:ident: $unit_ty:ty),*) = $unit_call:expr
                $(, dynamic: $dynamic_call:expr)?;)*
        }
        $(defaulted {
            $(fn $default_method:ident($($default_arg:ident: $default_ty:ty),*) -> $default_ret:ty
                = $default_call:expr;)*
        })?
    ) => {
        #[async_trait::async_trait]
        impl<L: $crate::api::Layer> $service for $crate::api::Layered<dyn $service, L> {
            $(async fn $method(&self, $($arg: $ty),*) -> $crate::api::ApiResult<$ret> {
                self.around($call, self.inner.$method($($arg),*)).await
            })*
            $(async fn $unit_method(&self, $($unit_arg: $unit_ty),*) -> $crate::api::ApiResult<()> {
                self.around($unit_call, self.inner.$unit_method($($unit_arg),*)).await
            })*
            $($(async fn $default_method(&self, $($default_arg: $default_ty),*)
                -> $crate::api::ApiResult<$default_ret> {
                self.around($default_call, self.inner.$default_method($($default_arg),*)).await
            })*)?
        }

        #[async_trait::async_trait]
        impl<D: $crate::api::DynamicBackend> $service for $crate::api::Dynamic<D> {
            $(async fn $method(&self, $($arg: $ty),*) -> $crate::api::ApiResult<$ret> {
                let args = vec![$(serde_json::json!($arg)),*];
                self.answer(stringify!($method), $call, args).await
            })*
            $(async fn $unit_method(&self, $($unit_arg: $unit_ty),*) -> $crate::api::ApiResult<()> {
                let args = vec![$(serde_json::json!($unit_arg)),*];
                let method = stringify!($unit_method);
                self.done(method, service_impls!(@dynamic_call $unit_call $(, $dynamic_call)?), args)
                    .await
            })*
        }
    };
}

pub(super) use service_impls;
